// What multipart parsing costs alone: a bare node:http server that parses each form with busboy
// (the API's parser) and throws the file's bytes away, storing and hashing nothing.
import busboy from 'busboy';
import { serveOnPort } from './serve-child.mjs';

serveOnPort((req, res) => {
  let size = 0;
  const form = busboy({ headers: req.headers });
  form.on('file', (_name, stream) => {
    stream.on('data', (chunk) => (size += chunk.length));
  });
  form.on('close', () => {
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ file: { size } }));
  });
  req.pipe(form);
});
