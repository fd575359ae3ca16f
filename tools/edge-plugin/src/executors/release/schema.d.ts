export interface ReleaseExecutorOptions {
  /** Registry host[:port]; default EDGESHIP_REGISTRY, else the local registry 127.0.0.1:5000. */
  registry?: string;
  /** Repository in the registry; default edgeship/<project>. */
  repository?: string;
  /** The release tag, a semver version (checked before anything is pushed); default the image record's version. */
  tag?: string;
  /** Platforms to release (default every one the image target built). */
  platforms?: string[];
  /** Folder of the cosign key pair; default EDGESHIP_COSIGN_KEY_DIR, else <workspace>/.edgeship/keys. */
  keyDir?: string;
  /** Allow plain HTTP / unverified TLS; default true only for loopback registries. */
  insecure?: boolean;
  /** buildx builder used by `imagetools create`. */
  builder?: string;
  /** Image output folder, relative to the workspace. Default dist/<project>/image. */
  imagePath?: string;
}
