import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scoreName, searchTasks } from '../../../../client/webview/src/graph/search';
import { readGraph } from '../fixtureFiles';

const tasks = readGraph('music-graph.json').nodes.map((n) => ({ id: n.id, name: n.family }));
const names = (query: string) => searchTasks(query, tasks).map((h) => h.name);

test('search ranks exact, prefix, word starts, substring, then letters in order', () => {
  assert.deepEqual(names('streams'), ['Streams']);
  assert.equal(names('top')[0], 'Top10Artists');
  assert.equal(names('atd')[0], 'ArtistToplistToDatabase');
  // "SessionStats" starts with "sessions": a prefix ranks above the substrings.
  assert.deepEqual(names('sessions'), ['SessionStats', 'CleanSessions', 'DedupeSessions']);
  assert.ok(names('aggart').includes('AggregateArtists'));
  assert.ok(scoreName('streams', 'Streams') > scoreName('stre', 'Streams'));
  assert.ok(scoreName('stre', 'Streams') > scoreName('eam', 'Streams'));
});

test('an empty query or letters out of order find nothing', () => {
  assert.deepEqual(names(''), []);
  assert.deepEqual(names('   '), []);
  assert.deepEqual(names('zzz'), []);
  assert.deepEqual(names('smaerts'), []);
});
