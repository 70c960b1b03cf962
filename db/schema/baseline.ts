import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type {
	BaselineItemKind,
	BaselineMeta,
	DecisionLevel,
	FieldValue,
	ParsedItem
} from '../../server/domain/baseline';
import { cases } from './cases';
import { users } from './identity';

/**
 * The baseline of a case: versions of an imported document tree. An item keeps its id across
 * versions (baseline_items), and each version stores its own content of the item
 * (baseline_item_versions). Amendments, comments and positions reference `baseline_items.id`, and
 * the version they were written against by `baseline_versions.id`.
 */
export const baselines = pgTable(
	'baselines',
	{
		id: text('id').primaryKey(),
		caseId: text('case_id')
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('baselines_case_uq').on(t.caseId)]
);

export const baselineVersionStatuses = [
	/** imported, being checked and fixed by the clerk; nobody else sees it */
	'draft',
	/** the baseline parties work against now */
	'published',
	/** an earlier published version, kept for diffs and for what was written against it */
	'superseded'
] as const;
export type BaselineVersionStatus = (typeof baselineVersionStatuses)[number];

export const baselineSourceKinds = ['text', 'pdf', 'docx'] as const;
export type BaselineSourceKind = (typeof baselineSourceKinds)[number];

export const baselineVersions = pgTable(
	'baseline_versions',
	{
		id: text('id').primaryKey(),
		baselineId: text('baseline_id')
			.notNull()
			.references(() => baselines.id, { onDelete: 'cascade' }),
		/** 1, 2, 3 … in order of import */
		number: integer('number').notNull(),
		status: text('status', { enum: baselineVersionStatuses }).notNull().default('draft'),
		sourceName: text('source_name').notNull(),
		sourceKind: text('source_kind', { enum: baselineSourceKinds }).notNull(),
		/** the text the tree was read from, shown beside the tree while checking */
		sourceText: text('source_text').notNull(),
		meta: jsonb('meta').$type<BaselineMeta>().notNull().default({}),
		/** yrkanden and yttranden found in the documents, for the drafts of their parties */
		partyDocuments: jsonb('party_documents').$type<ParsedItem[]>().notNull().default([]),
		warnings: jsonb('warnings').$type<string[]>().notNull().default([]),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		publishedBy: text('published_by').references(() => users.id, { onDelete: 'set null' }),
		publishedAt: timestamp('published_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('baseline_versions_number_uq').on(t.baselineId, t.number),
		index('baseline_versions_status_idx').on(t.baselineId, t.status)
	]
);

/** The identity of an item across versions: what other aggregates point at. */
export const baselineItems = pgTable(
	'baseline_items',
	{
		id: text('id').primaryKey(),
		baselineId: text('baseline_id')
			.notNull()
			.references(() => baselines.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('baseline_items_baseline_idx').on(t.baselineId)]
);

/** An item's content in one version; the tree is parentId plus the order of position. */
export const baselineItemVersions = pgTable(
	'baseline_item_versions',
	{
		versionId: text('version_id')
			.notNull()
			.references(() => baselineVersions.id, { onDelete: 'cascade' }),
		itemId: text('item_id')
			.notNull()
			.references(() => baselineItems.id, { onDelete: 'cascade' }),
		/** the parent item in this version; null at the top */
		parentId: text('parent_id'),
		/** document order within the version, 0-based over the whole tree */
		position: integer('position').notNull(),
		kind: text('kind').$type<BaselineItemKind>().notNull(),
		label: text('label'),
		title: text('title'),
		text: text('text'),
		level: text('level').$type<DecisionLevel>(),
		fields: jsonb('fields').$type<Record<string, FieldValue>>(),
		columns: jsonb('columns').$type<string[]>(),
		values: jsonb('values').$type<Record<string, number>>(),
		sourceFrom: integer('source_from'),
		sourceTo: integer('source_to')
	},
	(t) => [
		primaryKey({ columns: [t.versionId, t.itemId] }),
		index('baseline_item_versions_item_idx').on(t.itemId),
		index('baseline_item_versions_order_idx').on(t.versionId, t.position)
	]
);
