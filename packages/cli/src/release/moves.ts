/** A name 1.0 exports from another entry point: `accessLog`, `@org/platform` → `@org/platform/http`. */
export interface MovedName {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly kind: 'value' | 'type';
}

/** A name 1.0 no longer exports, and why. */
export interface InternalName {
  readonly name: string;
  readonly from: string;
  readonly kind: 'value' | 'type';
  readonly why: string;
}

/**
 * An option of a platform function that 1.0 removed in favour of another
 * (`createServiceApp({ health: L.health })` → `createServiceApp({ lifecycle: L })`).
 */
export interface RemovedOption {
  readonly function: string;
  readonly option: string;
  readonly from: string;
  /** The option that replaces it: `lifecycle`. */
  readonly replacement: string;
  /** The rewrite, as the platform's changelog states it. */
  readonly rewrite: string;
  /** What to do where the rewrite is not mechanical. */
  readonly note?: string;
}
