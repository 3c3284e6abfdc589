const languages = ['JavaScript', 'Rust'];

function greet(name) {
  return `hello, ${name}! (from ${__filename.split('/').pop()})`;
}

module.exports = { greet, languages };
