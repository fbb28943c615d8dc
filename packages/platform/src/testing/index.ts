/**
 * @org/platform/testing: helpers for a service's tests (and for staging checks), kept out of the
 * main entry so that production code never loads them.
 * @packageDocumentation
 */
export * from './conformance/index.js';
