CREATE TABLE "baseline_item_versions" (
	"version_id" text NOT NULL,
	"item_id" text NOT NULL,
	"parent_id" text,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"label" text,
	"title" text,
	"text" text,
	"level" text,
	"fields" jsonb,
	"columns" jsonb,
	"values" jsonb,
	"source_from" integer,
	"source_to" integer,
	CONSTRAINT "baseline_item_versions_version_id_item_id_pk" PRIMARY KEY("version_id","item_id")
);
--> statement-breakpoint
CREATE TABLE "baseline_items" (
	"id" text PRIMARY KEY NOT NULL,
	"baseline_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "baseline_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"baseline_id" text NOT NULL,
	"number" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"source_name" text NOT NULL,
	"source_kind" text NOT NULL,
	"source_text" text NOT NULL,
	"meta" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"party_documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by" text,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "baselines" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "baseline_item_versions" ADD CONSTRAINT "baseline_item_versions_version_id_baseline_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."baseline_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "baseline_item_versions" ADD CONSTRAINT "baseline_item_versions_item_id_baseline_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."baseline_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "baseline_items" ADD CONSTRAINT "baseline_items_baseline_id_baselines_id_fk" FOREIGN KEY ("baseline_id") REFERENCES "public"."baselines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "baseline_versions" ADD CONSTRAINT "baseline_versions_baseline_id_baselines_id_fk" FOREIGN KEY ("baseline_id") REFERENCES "public"."baselines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "baseline_versions" ADD CONSTRAINT "baseline_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "baseline_versions" ADD CONSTRAINT "baseline_versions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "baselines" ADD CONSTRAINT "baselines_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "baseline_item_versions_item_idx" ON "baseline_item_versions" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "baseline_item_versions_order_idx" ON "baseline_item_versions" USING btree ("version_id","position");--> statement-breakpoint
CREATE INDEX "baseline_items_baseline_idx" ON "baseline_items" USING btree ("baseline_id");--> statement-breakpoint
CREATE UNIQUE INDEX "baseline_versions_number_uq" ON "baseline_versions" USING btree ("baseline_id","number");--> statement-breakpoint
CREATE INDEX "baseline_versions_status_idx" ON "baseline_versions" USING btree ("baseline_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "baselines_case_uq" ON "baselines" USING btree ("case_id");