// The browser's read ceiling: File.slice + arrayBuffer over the whole file in a worker (where the
// web app's upload worker reads), one slice at a time, nothing done with the bytes.
onmessage = async ({ data }: MessageEvent<{ file: File; slice: number }>) => {
  const { file, slice } = data;
  const start = performance.now();
  let bytes = 0;
  for (let offset = 0; offset < file.size; offset += slice) {
    bytes += (await file.slice(offset, offset + slice).arrayBuffer()).byteLength;
  }
  postMessage({ ms: performance.now() - start, bytes });
};
