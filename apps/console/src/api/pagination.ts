/** The API's offset pages (`items`, `total`, `limit`, `offset`). */
export interface OffsetPage<T> {
  items: T[];
  total: number;
}

export const MAX_PAGE_SIZE = 1000;

/** Every row of an offset-paged list: pages of MAX_PAGE_SIZE until `total` is reached. */
export async function fetchAllPages<T>(fetchPage: (offset: number, limit: number) => Promise<OffsetPage<T>>): Promise<T[]> {
  const rows: T[] = [];
  for (let offset = 0; ; offset += MAX_PAGE_SIZE) {
    const page = await fetchPage(offset, MAX_PAGE_SIZE);
    rows.push(...page.items);
    if (page.items.length === 0 || offset + page.items.length >= page.total) return rows;
  }
}
