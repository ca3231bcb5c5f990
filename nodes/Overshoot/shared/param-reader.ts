// How node-layer code reads a parameter, in a file of its own: the number tables (numbers.ts)
// read with it and the readers (parameters.ts) build on those tables, so either file holding it
// would make the two import each other.

/** Reads one parameter by name (the node: getNodeParameter; tests: an object lookup). */
export type ParamReader = (name: string, fallback?: unknown) => unknown;
