import type { Express } from 'express';

/** A step that adds routes or middleware to the app at a fixed place in the pipeline. */
export type AppExtension = (app: Express) => void;
