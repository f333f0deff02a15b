// The layering rule of STYLE.md, enforced: only views, commands, accounts, util and extension.ts may import
// 'vscode'. The domain, protocols, store and sync stay testable without VS Code.
import tseslint from 'typescript-eslint';

const vscodePath = { name: 'vscode', message: "Only views/, commands/, accounts/, util/ and extension.ts may import 'vscode' (STYLE.md)." };
const noVscode = { 'no-restricted-imports': ['error', { paths: [vscodePath] }] };

/** Imports flow one way: sync -> protocols and store -> mail (STYLE.md). */
function layer(forbidden, why) {
  return { 'no-restricted-imports': ['error', { paths: [vscodePath], patterns: [{ group: forbidden, message: why }] }] };
}

// Server and mail text must never become a command link or borrow VS Code's icons: every surface that renders
// either takes untrusted text only through its sanctioned module (util/plainText.ts says which).
const notifications = {
  selector: 'MemberExpression[property.name=/^show(Error|Warning|Information)Message$/]',
  message: 'Use showError/showWarning/showInfo from util/notify.ts: they neutralise link and icon syntax in untrusted text.',
};
const textSurfaces = [
  notifications,
  {
    selector: "MemberExpression[property.name='showQuickPick']",
    message: 'Use showPick from util/quickPick.ts: labels from mail or a server must not render $(icons).',
  },
  {
    selector: "AssignmentExpression[left.property.name='items']:not([right.type='CallExpression'][right.callee.name='safeItems'])",
    message: 'Quick pick items go through safeItems (util/quickPick.ts), so mail text never renders as $(icons).',
  },
  {
    selector: "NewExpression[callee.property.name='TreeItem']",
    message: 'Tree items are built only in views/mailTreeProvider.ts, from present(), which shows mail text as plain text.',
  },
  {
    selector: "AssignmentExpression[left.property.name='text']:not([right.type='CallExpression'][right.callee.name='withIcon'])",
    message: 'Status bar text is set with withIcon (util/plainText.ts): our icon, and the rest shown as text.',
  },
];

// Settings are read in one place, with their defaults and scopes (accounts/settingsTable.ts).
const settingsOnly = {
  selector: "MemberExpression[property.name='getConfiguration']",
  message: 'Read and write letterbox.* settings through accounts/settings.ts (one table of keys, defaults and scopes).',
};

// MIME is parsed in one place: protocols/mime (a store is handed its reading, mail/types.ts MessageReading).
const mimeOnly = {
  selector: "ImportDeclaration[source.value='mailparser'], ImportExpression[source.value='mailparser']",
  message: 'mailparser is used only in src/protocols/mime (STYLE.md): hand the store a MessageReading instead.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'out/**', '*.vsix'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Prettier (npm run lint checks it) wraps code at 120; this holds comments there too. A message is not
      // broken up to fit: strings and templates are read whole when searched for.
      'max-len': ['error', { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
      'no-restricted-syntax': ['error', notifications],
    },
  },
  { files: ['src/**'], rules: { 'no-restricted-syntax': ['error', ...textSurfaces, settingsOnly, mimeOnly] } },
  { files: ['src/protocols/mime/**'], rules: { 'no-restricted-syntax': ['error', ...textSurfaces, settingsOnly] } },
  {
    files: ['src/mail/**', 'src/protocols/**', 'src/store/**', 'src/sync/**', 'src/mailbox/**', 'src/patches/**', 'src/views/mailTreePresentation.ts',
      'src/accounts/accountConfig.ts', 'src/accounts/accountSessions.ts',
      'src/accounts/backendFactory.ts', 'src/accounts/passwordVault.ts', 'src/accounts/reconnectPolicy.ts', 'src/accounts/settingsTable.ts',
      'src/accounts/supervisedWatch.ts', 'src/accounts/accountWatches.ts', 'src/accounts/accountStatuses.ts', 'src/accounts/cacheBounds.ts',
      'src/accounts/oauthAccounts.ts', 'src/accounts/oauth/**', 'src/accounts/discovery/**',
      'src/util/plainText.ts',
      'src/views/panelHtml.ts', 'src/views/panel/linkSafety.ts', 'src/views/panel/attachmentNames.ts', 'src/views/panel/panelMessage.ts', 'contract/**', 'webview/**'],
    rules: noVscode,
  },
  { files: ['src/mail/**'], rules: layer(['**/protocols/**', '**/store/**', '**/sync/**', '**/accounts/**', '**/views/**'], 'mail/ is the domain: it imports nothing of the layers above it.') },
  { files: ['src/protocols/**'], rules: layer(['**/store/**', '**/sync/**', '**/accounts/**', '**/views/**'], 'protocols/ is the wire only: policy lives in sync/, disk in store/.') },
  { files: ['src/store/**'], rules: layer(['**/protocols/**', '**/sync/**', '**/accounts/**', '**/views/**'], 'store/ is the disk only: it imports mail/ and nothing else of ours.') },
  { files: ['src/sync/**'], rules: layer(['**/accounts/**', '**/views/**', '**/commands/**'], 'sync/ never touches views or accounts.') },
  { files: ['src/mailbox/**'], rules: layer(['**/views/**', '**/commands/**'], 'mailbox/ is the core: views and commands present it; it never imports them.') },
  { files: ['src/patches/**'], rules: layer(['**/accounts/**', '**/sync/**', '**/views/**', '**/commands/**'], 'patches/ reads series and runs git: it knows mail and threading, never the accounts or the UI.') },
);
