// Tests written to produce a JUnit sample with jest-junit's results.
describe('Login', () => {
  test('locks out after five tries', () => {
    expect(5).toBeGreaterThan(4);
  });
  test('expires idle sessions', () => {
    expect(30).toBeLessThan(15);
  });
  test.skip('signs in with SSO', () => {});
});
