// The user's own test: the matchers, imported by the package's public name.
require('cdktf-microseg/verify/jest');
const { Port } = require('cdktf-microseg');

test('web reaches api on 8080 and cannot reach db', () => {
  expect('cdktf.out').toAllowFlow('shop/Web', 'shop/Api', Port.tcp(8080));
  expect('cdktf.out').toDenyFlow('shop/Web', 'shop/Db', Port.POSTGRES);
});
