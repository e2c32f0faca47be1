import { useI18n } from '../i18n/use-i18n.ts';

/** Shows the other language by its own name (中文 / English), the way people look for it. */
export function LanguageToggle() {
  const { language, setLanguage, t } = useI18n();
  const other = language === 'zh' ? 'en' : 'zh';
  return (
    <button
      type="button"
      className="button button-ghost"
      title={t('language.switch')}
      lang={other === 'zh' ? 'zh-CN' : 'en'}
      onClick={() => setLanguage(other)}
    >
      {other === 'zh' ? '中文' : 'English'}
    </button>
  );
}
