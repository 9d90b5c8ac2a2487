// The media types steps read and write, and the file extension each gets in scratch. ffmpeg
// picks output formats from the extension, so a task file's name carries it.

export const MEDIA_EXTENSIONS = {
  'text/plain': 'txt',
  'application/json': 'json',
  'application/x-subrip': 'srt',
  'audio/wav': 'wav',
  'video/mp4': 'mp4',
  'image/jpeg': 'jpg',
  'image/png': 'png',
} as const;

export type MediaType = keyof typeof MEDIA_EXTENSIONS;

const BY_EXTENSION = new Map<string, MediaType>(
  Object.entries(MEDIA_EXTENSIONS).map(([type, ext]) => [ext, type as MediaType]),
);
// Inputs arrive under names the agent chose from asset media types; accept common aliases.
BY_EXTENSION.set('jpeg', 'image/jpeg');

export function isMediaType(value: string): value is MediaType {
  return Object.hasOwn(MEDIA_EXTENSIONS, value);
}

export function mediaTypeOfExtension(ext: string): MediaType | undefined {
  return BY_EXTENSION.get(ext.toLowerCase());
}

export type MediaKind = 'image' | 'video' | 'audio' | 'text';

export function mediaKind(type: MediaType): MediaKind {
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  return 'text';
}
