// Which files the browser can show itself, by the name's extension (the API sends the content type
// from the same extension): images, video, audio and PDF play inline; text is read as text. SVG
// and HTML are text here: the API never serves what could run script as a page or an image.
export type PreviewKind = 'image' | 'video' | 'audio' | 'pdf' | 'text';

const KINDS: Record<Exclude<PreviewKind, 'pdf'>, readonly string[]> = {
  image: ['png', 'jpg', 'jpeg', 'gif', 'webp', 'avif', 'bmp'],
  video: ['mp4', 'webm', 'ogv', 'mov', 'm4v'],
  audio: ['mp3', 'wav', 'ogg', 'oga', 'm4a', 'aac', 'flac', 'opus'],
  text: [
    'txt',
    'md',
    'markdown',
    'csv',
    'tsv',
    'log',
    'json',
    'xml',
    'yaml',
    'yml',
    'toml',
    'ini',
    'conf',
    'html',
    'svg',
    'css',
    'js',
    'mjs',
    'ts',
    'tsx',
    'jsx',
    'py',
    'rs',
    'go',
    'java',
    'c',
    'h',
    'cpp',
    'sh',
    'sql',
  ],
};

const byExtension = new Map<string, PreviewKind>([['pdf', 'pdf']]);
for (const [kind, extensions] of Object.entries(KINDS)) {
  for (const extension of extensions) byExtension.set(extension, kind as PreviewKind);
}

/** How the viewer shows this file, or null when the browser cannot (it is only downloaded). */
export function previewKind(name: string): PreviewKind | null {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return null;
  return byExtension.get(name.slice(dot + 1).toLowerCase()) ?? null;
}
