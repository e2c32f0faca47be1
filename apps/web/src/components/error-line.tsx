// The reason something failed, in words, announced to screen readers; nothing when it did not.
import { useI18n } from '../i18n/use-i18n.ts';

export function ErrorLine({ error }: { error: unknown }) {
  const { errorText } = useI18n();
  if (error == null) return null;
  return (
    <p className="form-error" role="alert">
      {errorText(error)}
    </p>
  );
}
