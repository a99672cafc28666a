// Strings of issue 12's editor fixes (connection, takes, devices, exports, progress), in English
// and Japanese (typed against the English, so a missing key fails the typecheck).
export const editorEn = {
  'connection.lostTitle': 'Lost the connection to the studio server',
  'connection.lostMessage':
    'Nothing you do now reaches it: renders, imports and exports wait. If you stopped it, start it again with ' +
    '`npm start` (same data folder): this tab reconnects by itself and keeps your project.',
  'connection.retry': 'Retry now',
  'connection.back': 'Connected again',
  'connection.backMessage': 'The studio server is back; your project is as you left it.',
  'status.disconnected': 'Disconnected',
  'take.outdated': 'Outdated',
  'take.outdatedMotion': 'The motion clip changed after this take was rendered; render again to use the new one.',
  'take.outdatedReference': 'The reference photo changed after this take was rendered; render again to use the new one.',
  'take.outdatedBoth': 'The motion clip and the reference photo changed after this take was rendered; render again.',
  'take.removed': '{name} removed',
  'take.removedMessage': 'Press Ctrl+Z (Undo) to bring it back; its frames stay on disk.',
  'viewer.ownInputs': '{name} with the inputs it was rendered from',
} as const;

export const editorJa: Record<keyof typeof editorEn, string> = {
  'connection.lostTitle': 'スタジオサーバーとの接続が切れました',
  'connection.lostMessage':
    '今の操作はサーバーに届きません (レンダー・読み込み・書き出しは待機します)。停止した場合は同じデータフォルダーで ' +
    '`npm start` をもう一度実行してください。このタブは自動で再接続し、プロジェクトはそのまま残ります。',
  'connection.retry': '今すぐ再試行',
  'connection.back': '再接続しました',
  'connection.backMessage': 'スタジオサーバーに再接続しました。プロジェクトはそのままです。',
  'status.disconnected': '接続なし',
  'take.outdated': '古い',
  'take.outdatedMotion': 'このテイクのレンダー後にモーションクリップが変わりました。新しいクリップを使うにはもう一度レンダーしてください。',
  'take.outdatedReference': 'このテイクのレンダー後に参照画像が変わりました。新しい画像を使うにはもう一度レンダーしてください。',
  'take.outdatedBoth': 'このテイクのレンダー後にモーションクリップと参照画像が変わりました。もう一度レンダーしてください。',
  'take.removed': '{name} を削除しました',
  'take.removedMessage': 'Ctrl+Z (元に戻す) で戻せます。フレームはディスクに残ります。',
  'viewer.ownInputs': '{name} (レンダー時の入力で表示)',
};
