import type { AlertRule } from './rule-kit.js';
import { DEPENDENCY_RULES } from './rules-dependencies.js';
import { PROCESS_RULES } from './rules-process.js';

export {
  SEVERITIES,
  T,
  type AlertRule,
  type IncidentLevel,
  type RuleHit,
  type Severity,
} from './rule-kit.js';

/** Every alert rule, in the order the Prometheus export lists them. */
export const RULES: AlertRule[] = [...PROCESS_RULES, ...DEPENDENCY_RULES];

export function ruleByName(name: string): AlertRule | undefined {
  return RULES.find((r) => r.name === name);
}

export function formatValue(v: number, format: AlertRule['valueFormat']): string {
  switch (format) {
    case 'percent':
      return `${(v * 100).toFixed(1)}%`;
    case 'seconds':
      return v >= 3600
        ? `${(v / 3600).toFixed(1)} h`
        : v >= 1
          ? `${v.toFixed(1)} s`
          : `${Math.round(v * 1000)} ms`;
    case 'bytes':
      return `${(v / 1024 / 1024).toFixed(0)} MiB`;
    default:
      return Number.isInteger(v) ? String(v) : v.toFixed(2);
  }
}

/** Fills `{label}` and `{value}` placeholders. */
export function renderSummary(template: string, labels: Record<string, string>, value: string): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (k === 'value' ? value : (labels[k] ?? k)));
}
