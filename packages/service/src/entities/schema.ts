import type Joi from 'joi';
import { joi } from '@org/platform';
import type { Entity, EntityChanges, EntityPage } from './entity.js';

// PostgreSQL text cannot hold NUL, and a lone surrogate cannot be encoded as UTF-8: refuse both
// here (422) instead of letting the database fail (500) or silently change the text.
const STORABLE_TEXT = /^[^\0\p{Cs}]*$/u;
const STORABLE_MESSAGE = { 'string.pattern.base': '{{#label}} must not contain NUL characters or unpaired surrogates' };

/** 1–255 code points, not only whitespace. */
export const titleSchema = joi
  .string()
  .notBlank()
  .maxChars(255)
  .pattern(STORABLE_TEXT)
  .messages(STORABLE_MESSAGE)
  .description('1–255 characters, not only whitespace.');
/** Up to 1000 code points, or null. */
export const descriptionSchema = joi
  .string()
  .allow('')
  .maxChars(1000)
  .pattern(STORABLE_TEXT)
  .messages(STORABLE_MESSAGE)
  .allow(null)
  .description('Up to 1000 characters, or null.');
/** A hyphenated UUID, normalised to lower case. */
export const entityIdSchema = joi
  .string()
  .guid({ separator: '-', wrapper: false })
  .lowercase()
  .description('The entity id (UUID).');

/** What `POST` accepts: the owner comes from the token, so `owner_id` (like any unknown key) is refused. */
export interface CreateEntityBody {
  readonly title: string;
  readonly description?: string | null;
}

/** The collection's query: a page from `offset`, or the page a `cursor` points at (not both). */
export interface ListEntitiesQuery {
  readonly limit: number;
  readonly offset?: number;
  readonly cursor?: string;
}

/** `POST` body. */
export const createEntityBody: Joi.ObjectSchema<CreateEntityBody> = joi
  .object<CreateEntityBody, true>({ title: titleSchema.required(), description: descriptionSchema })
  .label('EntityCreate');
/** `PATCH` body: only sent keys change; `description: null` clears it; `title` cannot be null. */
export const updateEntityBody: Joi.ObjectSchema<EntityChanges> = joi
  .object<EntityChanges, true>({ title: titleSchema, description: descriptionSchema })
  .label('EntityUpdate');
/** `GET` collection query. */
export const listEntitiesQuery: Joi.ObjectSchema<ListEntitiesQuery> = joi
  .object<ListEntitiesQuery, true>({
    offset: joi.number().integer().min(0).description('Rows to skip, newest first (default 0). Not with `cursor`.'),
    limit: joi.number().integer().min(1).max(100).default(20).description('Page size.'),
    cursor: joi
      .string()
      .max(512)
      .pattern(/^[A-Za-z0-9_-]+$/)
      .description(
        "A previous page's `next_cursor`: the page after it, at a cost that does not grow with depth. Not with `offset`.",
      ),
  })
  .oxor('cursor', 'offset')
  .messages({
    'object.oxor': 'cursor and offset cannot be used together: a cursor already says where the page starts',
  });
/** `/{id}` path parameters. */
export const entityIdParams: Joi.ObjectSchema<{ readonly id: string }> = joi.object<{ readonly id: string }, true>({
  id: entityIdSchema.required(),
});

const timestamp = joi.string().isoDate().description('ISO 8601, UTC.');
/** The response entity, for the OpenAPI document. */
export const entitySchema: Joi.ObjectSchema<Entity> = joi
  .object<Entity, true>({
    id: joi.string().guid().required(),
    title: joi.string().minChars(1).maxChars(255).required(),
    description: joi.string().maxChars(1000).allow(null).required(),
    owner_id: joi.string().minChars(1).required().description("The owner's user id (the token's `sub`)."),
    created_at: timestamp.required(),
    updated_at: timestamp.required(),
  })
  .label('Entity');
/** The response page, for the OpenAPI document. */
export const entityPageSchema: Joi.ObjectSchema<EntityPage> = joi
  .object<EntityPage, true>({
    data: joi.array().items(entitySchema).required().description('Newest first.'),
    count: joi.number().integer().min(0).required().description("The owner's total, not the page size."),
    next_cursor: joi
      .string()
      .allow(null)
      .required()
      .description('Pass as `cursor` for the next page; `null` on the last page.'),
  })
  .label('EntityPage');
