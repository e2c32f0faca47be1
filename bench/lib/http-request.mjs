// The answer to a node:http request the benches send (node:http, because Node 20's fetch buffers a
// streamed body whole before sending it).

/** Resolves with the parsed JSON of a 2xx answer (undefined when empty); rejects otherwise. */
export function jsonAnswer(req) {
  return new Promise((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (text) => (body += text));
      res.on('end', () => {
        const { statusCode: status } = res;
        if (status < 200 || status > 299) {
          reject(new Error(`${req.method} ${req.path} answered ${status}: ${body}`));
        } else {
          resolve(body ? JSON.parse(body) : undefined);
        }
      });
      res.on('error', reject);
    });
  });
}
