'use strict';
const bcrypt = require('bcryptjs');
const hash = bcrypt.hashSync('correct horse', '$2a$04$abcdefghijklmnopqrstuu');
console.log(hash);
console.log(bcrypt.compareSync('correct horse', hash), bcrypt.compareSync('wrong', hash));
const salt = bcrypt.genSaltSync(4);
console.log(salt.length, salt.slice(0, 7));
const h2 = bcrypt.hashSync('pw', salt);
console.log(bcrypt.compareSync('pw', h2), bcrypt.getRounds(h2));
bcrypt.hash('async pw', 4, (err, h) => {
  console.log('async', err, bcrypt.compareSync('async pw', h));
});
