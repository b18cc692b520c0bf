// The addon as bindings-node/native.js describes it (what the package's
// modules are type-checked against, `tsc --checkJs`) must be what the build
// declares (native/native.d.ts, written beside the built addon): this file
// stops compiling when the two drift apart.
import type * as Built from '../../bindings-node/native/native';

type Described = import('../../bindings-node/native.js').NativeAddon;

declare const built: typeof Built;
export const described: Described = built;
