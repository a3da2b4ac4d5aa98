/**
 * The documented maximum of `per_page`, and what every list asks for by default (`page_size` is 100
 * unless set lower): with 1000 requests an hour, a smaller page only costs requests.
 */
export const MAX_PER_PAGE = 100;
