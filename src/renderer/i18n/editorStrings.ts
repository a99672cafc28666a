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
};
