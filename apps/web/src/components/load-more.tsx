// "Load more" under a paged list (a TanStack infinite query), while there is a next page.
import { useI18n } from '../i18n/use-i18n.ts';

interface PagedList {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

export function LoadMore({ list }: { list: PagedList }) {
  const { t } = useI18n();
  if (!list.hasNextPage) return null;
  return (
    <div className="load-more">
      <button
        type="button"
        className="button"
        disabled={list.isFetchingNextPage}
        onClick={() => void list.fetchNextPage()}
      >
        {list.isFetchingNextPage ? t('app.loading') : t('drive.loadMore')}
      </button>
    </div>
  );
}
