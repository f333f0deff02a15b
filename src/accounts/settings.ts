// The typed reader of settingsTable.ts over VS Code's configuration: one get, one update, one change event per set
// of keys. Nothing else in Letterbox calls workspace.getConfiguration (ESLint holds it to this file).
import * as vscode from 'vscode';
import { SETTINGS, settingValue, type SettingKey, type SettingValues } from './settingsTable';

const SECTION = 'letterbox';

export class Settings {
  get<K extends SettingKey>(key: K): SettingValues[K] {
    // eslint-disable-next-line no-restricted-syntax -- the one reader
    const inspected = vscode.workspace.getConfiguration(SECTION).inspect(key);
    // eslint-disable-next-line no-restricted-syntax -- the one reader
    const effectiveValue = SETTINGS[key].scope === 'any' ? vscode.workspace.getConfiguration(SECTION).get(key) : undefined;
    return settingValue(key, { globalValue: inspected?.globalValue, effectiveValue });
  }

  /** Writes the user's own value (the only one Letterbox ever writes). */
  async update<K extends SettingKey>(key: K, value: SettingValues[K]): Promise<void> {
    // eslint-disable-next-line no-restricted-syntax -- the one writer
    await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
  }

  /** Calls `listener` when any of `keys` changed (in any scope: a value that does not count reads the same). */
  onDidChange(keys: readonly SettingKey[], listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((event) => {
      if (keys.some((key) => event.affectsConfiguration(`${SECTION}.${key}`))) listener();
    });
  }
}
