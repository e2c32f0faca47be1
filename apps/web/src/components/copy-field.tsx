// Copying a link or a code: a Copy button, and a read-only field with one. The Clipboard API
// needs a secure context (https or localhost); where it fails, the field's text is selected so
// the user can copy it by hand.
import { useId, useRef, useState } from 'react';
import { useI18n } from '../i18n/use-i18n.ts';

const COPIED_FEEDBACK_MS = 2000;

interface CopyButtonProps {
  value: string;
  /** The button's words; "Copy" when left out. */
  label?: string;
  /** Called when the clipboard refuses. */
  onFail?: () => void;
}

export function CopyButton({ value, label, onFail }: CopyButtonProps) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), COPIED_FEEDBACK_MS);
    } catch {
      onFail?.();
    }
  };
  return (
    <button type="button" className="button button-small" onClick={() => void copy()}>
      {copied ? t('share.copied') : (label ?? t('share.copy'))}
    </button>
  );
}

export function CopyField({ label, value }: { label: string; value: string }) {
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      <span className="copy-row">
        <input id={id} ref={input} readOnly value={value} onFocus={(e) => e.target.select()} />
        <CopyButton value={value} onFail={() => input.current?.select()} />
      </span>
    </div>
  );
}
