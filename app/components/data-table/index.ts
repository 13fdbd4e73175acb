export { DataTable, type DataTableColumn, type DataTableProps } from './data-table';
export { FilterSelect, ListFilters } from './list-filters';
export { Pagination } from './pagination';
