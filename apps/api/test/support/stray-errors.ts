// Loaded into a spawned API (`node --import`) by the test of its last-resort handlers: on SIGUSR2 it
// throws from a timer and leaves a promise rejected with no handler, as a bug in a request would.
process.on('SIGUSR2', () => {
  setTimeout(() => {
    throw new Error('stray exception from the test');
  });
  void Promise.reject(new Error('stray rejection from the test'));
});
