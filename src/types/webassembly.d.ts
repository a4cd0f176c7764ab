// The part of the WebAssembly JS API nsmodel uses (Node has it; TypeScript declares it only in
// the DOM library, which a Node program should not pull in).

declare namespace WebAssembly {
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  interface Memory {
    readonly buffer: ArrayBuffer;
  }
  interface Table {
    readonly length: number;
  }
}
