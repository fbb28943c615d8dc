import type { SourceFile } from 'ts-morph';
import { indentUnitOf } from './indentation.js';

/** One level of indentation as the file writes it (two spaces unless it uses something else). */
export function indentUnit(file: SourceFile): string {
  return indentUnitOf(file.getFullText());
}

/** The quote the file's imports use. */
export function quoteOf(file: SourceFile): string {
  const specifier = file.getImportDeclarations()[0]?.getModuleSpecifier().getText();
  return specifier?.startsWith('"') === true ? '"' : "'";
}

/** A string literal in the file's quote. */
export function literal(value: string, quote: string): string {
  return `${quote}${value.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`)}${quote}`;
}

/** An object key as source: bare when it is an identifier, else a string literal. */
export function propertyKey(name: string, quote: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : literal(name, quote);
}
