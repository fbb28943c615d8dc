import { expect } from 'chai';
import { joi } from '../../src/index.js';
import { toJsonSchema } from '../../src/public/openapi.js';

describe('toJsonSchema', () => {
  it('converts an object with required keys, code-point lengths, null and unknown-key refusal', () => {
    const schema = joi.object({
      title: joi.string().notBlank().maxChars(255).required().description('The title'),
      description: joi.string().maxChars(1000).allow(null),
    });
    expect(toJsonSchema(schema)).to.deep.equal({
      type: 'object',
      properties: {
        title: { type: 'string', minLength: 1, pattern: '\\S', maxLength: 255, description: 'The title' },
        description: { type: ['string', 'null'], maxLength: 1000 },
      },
      required: ['title'],
      additionalProperties: false,
    });
  });

  it('converts integers with bounds and defaults, enums, uuids, dates and arrays', () => {
    expect(toJsonSchema(joi.number().integer().min(1).max(100).default(20))).to.deep.equal({
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 20,
    });
    expect(toJsonSchema(joi.string().valid('a', 'b'))).to.deep.equal({ type: 'string', enum: ['a', 'b'] });
    expect(toJsonSchema(joi.string().guid())).to.deep.equal({ type: 'string', format: 'uuid' });
    expect(toJsonSchema(joi.string().isoDate())).to.deep.equal({ type: 'string', format: 'date-time' });
    expect(toJsonSchema(joi.array().items(joi.boolean()).max(3))).to.deep.equal({
      type: 'array',
      items: { type: 'boolean' },
      maxItems: 3,
    });
  });

  it('keeps both patterns in one when two rules set one (a plain string for code generators), and allows unknown keys when the schema does', () => {
    const both = toJsonSchema(
      joi
        .string()
        .notBlank()
        .pattern(/^[a-z ]*$/),
    ) as { pattern: string };
    expect(both).to.deep.equal({
      type: 'string',
      minLength: 1,
      pattern: '^(?=[\\s\\S]*?(?:\\S))(?=[\\s\\S]*?(?:^[a-z ]*$))',
    });
    const pattern = new RegExp(both.pattern, 'u');
    expect(['a b', ' a'].map((text) => pattern.test(text))).to.deep.equal([true, true]);
    expect(['   ', 'A', ''].map((text) => pattern.test(text))).to.deep.equal([false, false, false]);
    expect(toJsonSchema(joi.object({ a: joi.string() }).unknown(true))).to.deep.equal({
      type: 'object',
      properties: { a: { type: 'string' } },
    });
  });
});
