export { entityTag } from './entity-tag.js';
export { ifMatchAllows, type IfMatch } from './preconditions.js';
