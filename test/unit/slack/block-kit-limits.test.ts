import {
  LIMITS,
  checkBlocks,
  checkMessage,
  formatIssue,
} from '../../support/slack/block-kit/limits.js';
import type { JsonValue } from '../../support/slack/json.js';

const section = (text: string): JsonValue => ({ type: 'section', text: { type: 'mrkdwn', text } });
const header = (text: string): JsonValue => ({
  type: 'header',
  text: { type: 'plain_text', text },
});

describe('Block Kit limits', () => {
  it('accepts 50 blocks and refuses 51 at /blocks', () => {
    const fifty = Array.from({ length: 50 }, () => ({ type: 'divider' }));
    expect(checkBlocks(fifty)).toEqual([]);
    const issues = checkBlocks([...fifty, { type: 'divider' }]);
    expect(issues.map(formatIssue)).toEqual([
      '[ERROR] no more than 50 items allowed [json-pointer:/blocks]',
    ]);
  });

  it('accepts a 3,000-character section text and refuses 3,001', () => {
    expect(checkBlocks([section('x'.repeat(3000))])).toEqual([]);
    expect(checkBlocks([section('x'.repeat(3001))]).map(formatIssue)).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    ]);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(checkBlocks([section('🚀'.repeat(3000))])).toEqual([]);
  });

  it('accepts a 150-character header and refuses 151 or mrkdwn', () => {
    expect(checkBlocks([header('h'.repeat(150))])).toEqual([]);
    expect(checkBlocks([header('h'.repeat(151))])).toEqual([
      { pointer: '/blocks/0/text/text', message: 'must be less than 151 characters' },
    ]);
    const mrkdwnHeader = { type: 'header', text: { type: 'mrkdwn', text: '*h*' } };
    expect(checkBlocks([mrkdwnHeader]).map((i) => i.pointer)).toEqual(['/blocks/0/text/type']);
  });

  it('limits section fields to 10 items of 2,000 characters', () => {
    const field = (n: number): JsonValue => ({ type: 'plain_text', text: 'f'.repeat(n) });
    const ok = { type: 'section', fields: Array.from({ length: 10 }, () => field(2000)) };
    expect(checkBlocks([ok])).toEqual([]);
    const tooMany = { type: 'section', fields: Array.from({ length: 11 }, () => field(1)) };
    expect(checkBlocks([tooMany]).map((i) => i.pointer)).toEqual(['/blocks/0/fields']);
    const tooLong = { type: 'section', fields: [field(2001)] };
    expect(checkBlocks([tooLong]).map((i) => i.pointer)).toEqual(['/blocks/0/fields/0/text']);
  });

  it('refuses unknown and message-less block types, duplicate ids and empty sections', () => {
    expect(checkBlocks([{ type: 'banner' }]).map(formatIssue)).toEqual([
      '[ERROR] unsupported type: banner [json-pointer:/blocks/0/type]',
    ]);
    expect(checkBlocks([{ type: 'input' }]).map((i) => i.message)).toEqual([
      'unsupported type: input',
    ]);
    const twice = [
      { type: 'divider', block_id: 'same' },
      { type: 'divider', block_id: 'same' },
    ];
    expect(checkBlocks(twice).map((i) => i.message)).toEqual(['duplicate block_id: same']);
    expect(checkBlocks([{ type: 'section' }]).map((i) => i.message)).toEqual([
      'must provide either text or fields',
    ]);
    expect(checkBlocks([section('')]).map((i) => i.message)).toEqual([
      'must be more than 0 characters',
    ]);
  });

  it('checks buttons: plain_text labels up to 75 characters, known styles, unique action_ids', () => {
    const button = (text: string, extra: Record<string, JsonValue> = {}): JsonValue => ({
      type: 'button',
      text: { type: 'plain_text', text },
      ...extra,
    });
    const actions = (...elements: JsonValue[]): JsonValue => ({ type: 'actions', elements });
    expect(checkBlocks([actions(button('b'.repeat(75)))])).toEqual([]);
    expect(checkBlocks([actions(button('b'.repeat(76)))]).map((i) => i.pointer)).toEqual([
      '/blocks/0/elements/0/text/text',
    ]);
    expect(checkBlocks([actions(button('Go', { style: 'green' }))]).map((i) => i.pointer)).toEqual([
      '/blocks/0/elements/0/style',
    ]);
    const dup = actions(button('a', { action_id: 'x' }), button('b', { action_id: 'x' }));
    expect(checkBlocks([dup]).map((i) => i.message)).toEqual(['duplicate action_id: x']);
    expect(checkBlocks([{ type: 'actions', elements: [] }]).map((i) => i.pointer)).toEqual([
      '/blocks/0/elements',
    ]);
  });

  it('applies the message checks in Slack order: no_text, msg_too_long, invalid_blocks', () => {
    expect(checkMessage({})).toEqual({ ok: false, error: 'no_text' });
    expect(checkMessage({ text: '', blocks: [] })).toEqual({ ok: false, error: 'no_text' });
    expect(checkMessage({ text: 't'.repeat(LIMITS.messageTextCharacters) })).toEqual({ ok: true });
    expect(checkMessage({ text: 't'.repeat(LIMITS.messageTextCharacters + 1) })).toEqual({
      ok: false,
      error: 'msg_too_long',
    });
    const check = checkMessage({ text: 'fallback', blocks: [header('h'.repeat(151))] });
    expect(check).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(checkMessage({ blocks: [section('blocks alone are enough')] })).toEqual({ ok: true });
    const attachments = Array.from({ length: 101 }, () => ({ text: 'a' }));
    expect(checkMessage({ text: 'x', attachments })).toEqual({
      ok: false,
      error: 'too_many_attachments',
    });
  });
});
