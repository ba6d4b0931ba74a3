/**
 * The external upload flow: files.getUploadURLExternal hands out an upload URL on the double,
 * the app POSTs the bytes there, and files.completeUploadExternal shares the files.
 */
import { randomBytes } from 'node:crypto';
import { SlackApiError, missingArgument } from '../errors.js';
import { isJsonObject, type JsonObject } from '../json.js';
import type { SharedFile } from '../transcript-store.js';
import { arrayArg, assertValidContent, integerArg, objectsOnly, stringArg } from './args.js';
import { postableChannel, threadRoot, type MethodHandler } from './method.js';

export const getUploadURLExternal: MethodHandler = ({ args, ws }) => {
  const filename = stringArg(args, 'filename');
  if (filename === undefined) throw missingArgument('filename');
  if (args.length === undefined) throw missingArgument('length');
  const length = integerArg(args, 'length');
  if (length === undefined || length < 0) throw new SlackApiError('invalid_arguments');
  if (length === 0) throw new SlackApiError('missing_argument');
  const id = ws.newId('F');
  const uploadKey = randomBytes(12).toString('hex');
  const altText = stringArg(args, 'alt_text') ?? stringArg(args, 'alt_txt');
  const snippetType = stringArg(args, 'snippet_type');
  ws.files.set(id, {
    id,
    filename,
    declaredLength: length,
    uploadKey,
    completed: false,
    ...(altText === undefined ? {} : { altText }),
    ...(snippetType === undefined ? {} : { snippetType }),
  });
  return { upload_url: `${ws.baseUrl}/upload/v1/${uploadKey}`, file_id: id };
};

export const completeUploadExternal: MethodHandler = (ctx) => {
  const { args, ws } = ctx;
  const requested = arrayArg(args, 'files', 'invalid_arguments');
  if (requested === undefined || requested.length === 0) throw missingArgument('files');
  const shared: SharedFile[] = [];
  const answered: JsonObject[] = [];
  for (const entry of requested) {
    const id = isJsonObject(entry) && typeof entry.id === 'string' ? entry.id : undefined;
    const file = id === undefined ? undefined : ws.files.get(id);
    if (file?.bytes === undefined || file.completed) throw new SlackApiError('file_not_found');
    const title =
      isJsonObject(entry) && typeof entry.title === 'string' ? entry.title : file.filename;
    file.title = title;
    shared.push({
      id: file.id,
      name: file.filename,
      title,
      bytes: file.bytes,
      content: file.bytes.toString('utf8'),
    });
    answered.push({ id: file.id, name: file.filename, title, size: file.bytes.length });
  }
  const channelKey = stringArg(args, 'channel_id') !== undefined ? 'channel_id' : 'channels';
  const channel =
    stringArg(args, channelKey) === undefined ? undefined : postableChannel(ctx, channelKey);
  const initialComment = stringArg(args, 'initial_comment');
  const blocks =
    initialComment === undefined ? arrayArg(args, 'blocks', 'invalid_blocks') : undefined;
  assertValidContent(
    {
      ...(initialComment === undefined ? {} : { text: initialComment }),
      ...(blocks === undefined ? {} : { blocks }),
    },
    false,
  );
  for (const entry of shared) {
    const file = ws.files.get(entry.id);
    if (file !== undefined) file.completed = true;
  }
  if (channel !== undefined) {
    const threadTs = threadRoot(ctx, channel, 'files.completeUploadExternal');
    ws.transcript.post({
      channel: channel.id,
      author: ws.bot.userId,
      origin: 'file_share',
      content: {
        text: initialComment ?? '',
        blocks: ws.transcript.normalizeBlocks(objectsOnly(blocks ?? [])),
        attachments: [],
      },
      files: shared,
      ...(threadTs === undefined ? {} : { threadTs }),
    });
  }
  return { files: answered };
};
