// The typed reader of settingsTable.ts over VS Code's configuration: one get, one update, one change event per set
// of keys. Nothing else in Letterbox calls workspace.getConfiguration (ESLint holds it to this file).
import * as vscode from 'vscode';
import { SETTINGS, settingValue, type SettingKey, type SettingValues } from './settingsTable';

const SECTION = 'letterbox';

export class Settings {
  get<K extends SettingKey>(key: K): SettingValues[K] {
    const config = section();
    const effectiveValue = SETTINGS[key].scope === 'any' ? config.get(key) : undefined;
    return settingValue(key, { globalValue: config.inspect(key)?.globalValue, effectiveValue });
  }

  /** Writes the user's own value (the only one Letterbox ever writes). */
  async update<K extends SettingKey>(key: K, value: SettingValues[K]): Promise<void> {
    await section().update(key, value, vscode.ConfigurationTarget.Global);
  }

  /** Calls `listener` when any of `keys` changed (in any scope: a value that does not count reads the same). */
  onDidChange(keys: readonly SettingKey[], listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((event) => {
      if (keys.some((key) => event.affectsConfiguration(`${SECTION}.${key}`))) listener();
    });
  }
}

function section(): vscode.WorkspaceConfiguration {
  // eslint-disable-next-line no-restricted-syntax -- the one place settings are read and written
  return vscode.workspace.getConfiguration(SECTION);
}
