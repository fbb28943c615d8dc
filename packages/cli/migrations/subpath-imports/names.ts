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
