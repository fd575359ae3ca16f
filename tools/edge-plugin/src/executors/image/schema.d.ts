export interface ImageExecutorOptions {
  /** linux/arm64 and/or linux/amd64; default both, arm64 first. */
  platforms?: string[];
  /** A docker context (e.g. an ARM64 host over ssh; its engine builds) or a buildx builder; checked before any build. */
  builder?: string;
  /** Local image repository; tags are <repository>:<version>-<arch>. Default edgeship/<project>. */
  repository?: string;
  /** Layer compression: zstd (default, smallest) or gzip (for consumers older than zstd). */
  compression?: 'zstd' | 'gzip';
  /** Compression level; default 19 for zstd, 9 for gzip. */
  compressionLevel?: number;
  /** Build without the builder's cache (a cold build). */
  noCache?: boolean;
  /** Load the image into the docker engine (default true). */
  load?: boolean;
  /** Ship main.js.map and run with --enable-source-maps (default false: smaller service layer). */
  sourceMaps?: boolean;
  /** The bundle folder, relative to the workspace. Default dist/<project>/bundle. */
  bundlePath?: string;
  /** Output folder, relative to the workspace. Default dist/<project>/image. */
  outputPath?: string;
}
