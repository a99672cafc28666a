// Every string the editor shows, in English and Japanese. `t(key, vars)` fills {name} slots.
// English is the default and the fallback; the ja table must have every key (a test checks).
import { editorEn, editorJa } from './editorStrings';
import { workflowEn } from './workflowStrings';
import { workflowJa } from './workflowStringsJa';

const foundationEn = {
  'app.name': 'MagicAnimate Studio',
  'top.open': 'Open…',
  'top.openTitle': 'Import a motion clip, reference photo or audio (Ctrl+O)',
  'top.help': 'Shortcuts',
  'top.language': 'Language',
  'mode.browser': 'Browser mode',
  'mode.electron': 'Desktop',
  'status.ready': 'Ready',
  'status.playing': 'Playing',
  'status.importing': 'Importing {name}',
  'status.importingCount': 'Importing {name} · {done}/{total} frames',
  'status.fps': '{fps} fps',
  'status.frame': 'Frame {frame} / {last}',
  'status.noClip': 'No clip',
  'status.provider': 'Provider: {provider}',
  'status.range': 'In {in} · Out {out}',
  'viewer.emptyTitle': 'Drop a DensePose motion clip and a reference photo',
  'viewer.emptyHint': 'Drag files anywhere onto the window, onto a track, or use Open… (Ctrl+O).',
  'viewer.reference': 'Reference',
  'viewer.referenceOnly': 'Reference photo — add a motion clip to animate it',
  'timeline.zoomIn': 'Zoom in (+)',
  'timeline.zoomOut': 'Zoom out (−)',
  'timeline.zoomFit': 'Fit',
  'timeline.zoom': 'Zoom',
  'timeline.empty': 'Drop files here',
  'track.reference': 'Reference',
  'track.motion': 'Motion',
  'track.audio': 'Audio',
  'track.output': 'Output',
  'track.referenceHint': 'Drop a photo',
  'track.motionHint': 'Drop a DensePose clip',
  'track.audioHint': 'Drop audio, or a video to use its sound',
  'track.outputHint': 'Renders appear here',
  'track.frames': '{count} frames',
  'track.noAudio': 'The motion clip has no sound',
  'track.loadingPeaks': 'Reading audio…',
  'track.remove': 'Remove',
  'drop.overlay': 'Drop to import',
  'drop.onTrack': 'Drop on {track}',
  'import.failed': 'Could not import {name}',
  'import.warning': 'Imported {name} with a warning',
  'import.pickerFailed': 'Could not open the file dialog',
  'import.peaksFailed': 'Could not read the audio of {name}',
  'error.dismiss': 'Dismiss',
  'panel.render': 'Render',
    'help.title': 'Keyboard shortcuts',
  'help.close': 'Close',
  'help.open': 'Import files',
  'help.playPause': 'Play / pause',
  'help.stepFrame': 'Previous / next frame',
  'help.stepTen': 'Back / forward 10 frames',
  'help.homeEnd': 'First / last frame',
  'help.markIn': 'Set in point',
  'help.markOut': 'Set out point',
  'help.clearRange': 'Clear in/out',
  'help.zoom': 'Zoom timeline in / out',
  'help.zoomWheel': 'Zoom around the pointer',
  'help.help': 'Show this help',
  'help.escape': 'Close help / dismiss errors',
  'help.scrub': 'Scrub: drag the playhead or the ruler',
} as const;

const en = { ...foundationEn, ...workflowEn, ...editorEn } as const;

export type StringKey = keyof typeof en;
export type StringTable = Record<StringKey, string>;

const foundationJa: Record<keyof typeof foundationEn, string> = {
  'app.name': 'MagicAnimate Studio',
  'top.open': '開く…',
  'top.openTitle': 'モーションクリップ・参照画像・音声を読み込む (Ctrl+O)',
  'top.help': 'ショートカット',
  'top.language': '言語',
  'mode.browser': 'ブラウザモード',
  'mode.electron': 'デスクトップ',
  'status.ready': '準備完了',
  'status.playing': '再生中',
  'status.importing': '{name} を読み込み中',
  'status.importingCount': '{name} を読み込み中 · {done}/{total} フレーム',
  'status.fps': '{fps} fps',
  'status.frame': 'フレーム {frame} / {last}',
  'status.noClip': 'クリップなし',
  'status.provider': 'プロバイダー: {provider}',
  'status.range': 'イン {in} · アウト {out}',
  'viewer.emptyTitle': 'DensePose モーションクリップと参照画像をドロップしてください',
  'viewer.emptyHint': 'ウィンドウやトラックにファイルをドラッグするか、「開く…」(Ctrl+O) を使います。',
  'viewer.reference': '参照',
  'viewer.referenceOnly': '参照画像 — モーションクリップを追加するとアニメーションできます',
  'timeline.zoomIn': 'ズームイン (+)',
  'timeline.zoomOut': 'ズームアウト (−)',
  'timeline.zoomFit': '全体',
  'timeline.zoom': 'ズーム',
  'timeline.empty': 'ここにファイルをドロップ',
  'track.reference': '参照',
  'track.motion': 'モーション',
  'track.audio': '音声',
  'track.output': '出力',
  'track.referenceHint': '画像をドロップ',
  'track.motionHint': 'DensePose クリップをドロップ',
  'track.audioHint': '音声、または音声付き動画をドロップ',
  'track.outputHint': 'レンダリング結果がここに表示されます',
  'track.frames': '{count} フレーム',
  'track.noAudio': 'モーションクリップに音声がありません',
  'track.loadingPeaks': '音声を読み込み中…',
  'track.remove': '削除',
  'drop.overlay': 'ドロップして読み込む',
  'drop.onTrack': '{track} にドロップ',
  'import.failed': '{name} を読み込めませんでした',
  'import.warning': '{name} を読み込みました (警告あり)',
  'import.pickerFailed': 'ファイルダイアログを開けませんでした',
  'import.peaksFailed': '{name} の音声を読み取れませんでした',
  'error.dismiss': '閉じる',
  'panel.render': 'レンダリング',
    'help.title': 'キーボードショートカット',
  'help.close': '閉じる',
  'help.open': 'ファイルを読み込む',
  'help.playPause': '再生 / 一時停止',
  'help.stepFrame': '前 / 次のフレーム',
  'help.stepTen': '10 フレーム戻る / 進む',
  'help.homeEnd': '最初 / 最後のフレーム',
  'help.markIn': 'イン点を設定',
  'help.markOut': 'アウト点を設定',
  'help.clearRange': 'イン/アウトを解除',
  'help.zoom': 'タイムラインを拡大 / 縮小',
  'help.zoomWheel': 'ポインター位置を中心にズーム',
  'help.help': 'このヘルプを表示',
  'help.escape': 'ヘルプを閉じる / エラーを消す',
  'help.scrub': 'スクラブ: 再生ヘッドまたはルーラーをドラッグ',
};

const ja: StringTable = { ...foundationJa, ...workflowJa, ...editorJa };

export const STRINGS: Record<'en' | 'ja', StringTable> = { en, ja };

export type TranslateVars = Record<string, string | number>;

/** The string for `key` in `language`, with {name} slots filled from `vars`. */
export function translate(language: 'en' | 'ja', key: StringKey, vars?: TranslateVars): string {
  const template = STRINGS[language][key] ?? en[key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (slot, name: string) => (name in vars ? String(vars[name]) : slot));
}

