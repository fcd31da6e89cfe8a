// Baked in by the release build (--define MWAN_VERSION=...); a dev marker when
// run from source.
declare const MWAN_VERSION: string | undefined;

export const VERSION: string = typeof MWAN_VERSION === "string" ? MWAN_VERSION : "0.0.0-dev";
