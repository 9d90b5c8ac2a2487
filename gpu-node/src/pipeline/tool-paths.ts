// The executables steps run. Plain names resolve on the sandbox's fixed PATH; the face worker
// runs on the same Node binary as the agent (its WASM detector needs Node 24 type stripping).

export interface ToolPaths {
  readonly ffmpeg: string;
  readonly ffprobe: string;
  readonly espeak: string;
  readonly node: string;
  /** Where captions.burn-in finds its fonts (Debian fonts-dejavu-core). */
  readonly fontsDir: string;
}

export function defaultToolPaths(nodePath: string = process.execPath): ToolPaths {
  return {
    ffmpeg: 'ffmpeg',
    ffprobe: 'ffprobe',
    espeak: 'espeak-ng',
    node: nodePath,
    fontsDir: '/usr/share/fonts/truetype/dejavu',
  };
}
