'use strict';
const Ajv = require('ajv');
const ajv = new Ajv({ allErrors: true });
const schema = {
  type: 'object',
  properties: {
    id: { type: 'integer', minimum: 1 },
    name: { type: 'string', minLength: 2, pattern: '^[A-Z]' },
    tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    home: { type: 'object', properties: { zip: { type: 'string', maxLength: 5 } }, required: ['zip'] },
  },
  required: ['id', 'name'],
  additionalProperties: false,
};
const validate = ajv.compile(schema);
for (const data of [
  { id: 1, name: 'Ann', tags: ['a', 'b'] },
  { id: 0, name: 'x', tags: ['a', 'a'], extra: true },
  { id: 2, name: 'Bob', home: {} },
  { name: 'Z' },
]) {
  const ok = validate(data);
  console.log(ok, JSON.stringify(validate.errors && validate.errors.map((e) => [e.instancePath, e.keyword, e.message])));
}
const v2 = ajv.compile({ $id: 'https://example.com/s.json', type: 'string', enum: ['a', 'b'] });
console.log(v2('a'), v2('c'), ajv.errorsText(v2.errors));
