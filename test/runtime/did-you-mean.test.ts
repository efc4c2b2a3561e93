// "Did you mean": close names only, spelling style ignored.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestNames, didYouMean, editDistance } from '../../runtime/src/did-you-mean';

test('edit distance and the closest names', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.deepEqual(closestNames('Chian', ['Chain', 'Link', 'Typed']), ['Chain']);
  assert.deepEqual(closestNames('date_interval', ['dateInterval', 'day']), ['dateInterval']);
  assert.deepEqual(closestNames('xyz', ['Chain', 'Link']), []);
  assert.equal(
    didYouMean('worker', ['workers', 'lock'], (f) => `--${f}`),
    ' (did you mean --workers?)',
  );
  assert.equal(didYouMean('zzz', ['workers']), '');
});
