// OSS error answers: a status code and the XML body `<Error><Code>…</Code>…</Error>`.
import { randomUUID } from 'node:crypto';

export class OssError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `<Tag>value</Tag>` lines for a flat XML document. */
export const xmlFields = (fields: Record<string, string | number>) =>
  Object.entries(fields)
    .map(([tag, value]) => `<${tag}>${escapeXml(String(value))}</${tag}>`)
    .join('');

export const xmlDocument = (root: string, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root}>${body}</${root}>`;

export const errorXml = (error: OssError) =>
  xmlDocument(
    'Error',
    xmlFields({
      Code: error.code,
      Message: error.message,
      RequestId: randomUUID(),
      HostId: 'localhost',
    }),
  );
