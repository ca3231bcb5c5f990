// The action node's resources. Adding one is one line here; the router builds the Resource and
// Operation menus and each operation's displayOptions from these definitions.
export { chat } from './chat';
export { check } from './check';
export { model } from './model';
export { stream } from './stream';
