//! One page of a list, and the one rule for whether another follows.

use crate::query::{ListQuery, Page};

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage<T> {
    /// The rows.
    pub rows: Vec<T>,
    /// The rows matching across every page, when asked for with statistics.
    pub total: Option<u64>,
    /// The page asked for, if any.
    pub page: Option<Page>,
    /// The answer's request id.
    pub request_id: Option<String>,
}

impl<T> ListPage<T> {
    /// Whether a later page may hold rows: the one rule every package uses.
    /// With a total (asked for with statistics), whether rows remain past this
    /// page; without, whether this page is full. A list that named no page
    /// held every row.
    ///
    /// ```
    /// use pigello::client::ListPage;
    /// use pigello::query::Page;
    /// let page = |rows: usize, total| ListPage {
    ///     rows: vec![(); rows],
    ///     total,
    ///     page: Some(Page { number: 2, size: 10 }),
    ///     request_id: None,
    /// };
    /// assert!(page(10, None).has_next());
    /// assert!(!page(7, None).has_next());
    /// assert!(!page(10, Some(20)).has_next());
    /// assert!(page(10, Some(21)).has_next());
    /// ```
    pub fn has_next(&self) -> bool {
        self.has_next_after(self.rows.len())
    }

    /// [`ListPage::has_next`] for a page that held `rows` rows (decoded into
    /// something other than one item per row).
    pub(crate) fn has_next_after(&self, rows: usize) -> bool {
        let Some(page) = self.page else {
            return false;
        };
        match self.total {
            Some(total) => u64::from(page.number) * u64::from(page.size) < total,
            None => rows == page.size as usize,
        }
    }

    /// The page these rows are: the one asked for, or (for a list that named
    /// none) the first page of the default size.
    pub fn shown_page(&self) -> Page {
        self.page.unwrap_or(Page {
            number: 1,
            size: super::DEFAULT_PAGE_SIZE,
        })
    }

    /// The query of the next page, if [`ListPage::has_next`].
    pub fn next_query(&self, query: &ListQuery) -> Option<ListQuery> {
        let page = self.page.filter(|_| self.has_next())?;
        Some(query.clone().with_page(page.number + 1, page.size))
    }
}
