// The layering rule of STYLE.md, enforced: only views, commands, accounts, util and extension.ts may import
// 'vscode'. The domain, protocols, store and sync stay testable without VS Code.
import tseslint from 'typescript-eslint';

const noVscode = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: "Only views/, commands/, accounts/, util/ and extension.ts may import 'vscode' (STYLE.md)." }],
  }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'out/**', '*.vsix'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
      // Server and mail text must never become a command link: notifications go through util/notify.ts.
      'no-restricted-syntax': ['error', {
        selector: 'MemberExpression[property.name=/^show(Error|Warning|Information)Message$/]',
        message: 'Use showError/showWarning/showInfo from util/notify.ts: they neutralise link syntax in untrusted text.',
      }],
    },
  },
  {
    files: ['src/mail/**', 'src/protocols/**', 'src/store/**', 'src/sync/**', 'src/views/model/**', 'src/accounts/accountConfig.ts', 'src/accounts/accountSessions.ts', 'contract/**', 'webview/**'],
    rules: noVscode,
  },
);
