/**
 * How many times the function that `spyOn` spies on (it creates the spy) was called while `run`
 * ran; the spy is removed afterwards, whatever happens.
 */
export function callsDuring(spyOn: () => jest.SpyInstance, run: () => void): number {
  const spy = spyOn();
  try {
    run();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}
