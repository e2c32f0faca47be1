// s3rver (the S3 stand-in the tests use) in a child process of its own, so its CPU is not the
// bench driver's: files in S3RVER_DIR, one bucket S3_BUCKET, GET /healthz for child-server.mjs.
import S3rver from 's3rver';

const server = new S3rver({
  address: '127.0.0.1',
  port: Number(process.env.PORT),
  silent: true,
  directory: process.env.S3RVER_DIR,
  configureBuckets: [{ name: process.env.S3_BUCKET, configs: [] }],
});
// s3rver is a Koa app: answer the readiness check before its own routing (it would look for a
// bucket named "healthz").
server.middleware.unshift(async (ctx, next) => {
  if (ctx.path !== '/healthz') return next();
  ctx.body = 'ok';
});
await server.run();
process.once('SIGTERM', () => server.close().then(() => process.exit(0)));
