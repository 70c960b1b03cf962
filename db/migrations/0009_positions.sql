CREATE TABLE "meeting_attendance" (
	"case_id" text NOT NULL,
	"member_id" text NOT NULL,
	"attendance" text NOT NULL,
	"replaces_member_id" text,
	CONSTRAINT "meeting_attendance_case_id_member_id_pk" PRIMARY KEY("case_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "meeting_records" (
	"case_id" text PRIMARY KEY NOT NULL,
	"opened_at" timestamp with time zone,
	"opened_by" text,
	"closed_at" timestamp with time zone,
	"closed_by" text,
	"justering_date" date,
	"questions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"locked_at" timestamp with time zone,
	"locked_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "positions" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"member_id" text NOT NULL,
	"party_id" text NOT NULL,
	"kind" text NOT NULL,
	"target_type" text NOT NULL,
	"target_key" text NOT NULL,
	"target_item_id" text,
	"target_draft_id" text,
	"target_point_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"stage" text NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" text,
	"recorded_by" text,
	"on_behalf_of" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "votering_rounds" (
	"votering_id" text NOT NULL,
	"round" integer NOT NULL,
	"kind" text NOT NULL,
	"ja" integer NOT NULL,
	"nej" integer NOT NULL,
	"casting_vote" text,
	CONSTRAINT "votering_rounds_votering_id_round_pk" PRIMARY KEY("votering_id","round")
);
--> statement-breakpoint
CREATE TABLE "votering_votes" (
	"votering_id" text NOT NULL,
	"round" integer NOT NULL,
	"member_id" text NOT NULL,
	"vote" text NOT NULL,
	CONSTRAINT "votering_votes_votering_id_round_member_id_pk" PRIMARY KEY("votering_id","round","member_id")
);
--> statement-breakpoint
CREATE TABLE "voteringar" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"question_id" text NOT NULL,
	"recorded_by" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD CONSTRAINT "meeting_attendance_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD CONSTRAINT "meeting_attendance_member_id_users_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD CONSTRAINT "meeting_attendance_replaces_member_id_users_id_fk" FOREIGN KEY ("replaces_member_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_records" ADD CONSTRAINT "meeting_records_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_records" ADD CONSTRAINT "meeting_records_opened_by_users_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_records" ADD CONSTRAINT "meeting_records_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_records" ADD CONSTRAINT "meeting_records_locked_by_users_id_fk" FOREIGN KEY ("locked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_member_id_users_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_target_item_id_baseline_items_id_fk" FOREIGN KEY ("target_item_id") REFERENCES "public"."baseline_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_target_draft_id_drafts_id_fk" FOREIGN KEY ("target_draft_id") REFERENCES "public"."drafts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_on_behalf_of_users_id_fk" FOREIGN KEY ("on_behalf_of") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votering_rounds" ADD CONSTRAINT "votering_rounds_votering_id_voteringar_id_fk" FOREIGN KEY ("votering_id") REFERENCES "public"."voteringar"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votering_votes" ADD CONSTRAINT "votering_votes_votering_id_voteringar_id_fk" FOREIGN KEY ("votering_id") REFERENCES "public"."voteringar"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votering_votes" ADD CONSTRAINT "votering_votes_member_id_users_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voteringar" ADD CONSTRAINT "voteringar_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voteringar" ADD CONSTRAINT "voteringar_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "positions_case_idx" ON "positions" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "positions_member_target_uq" ON "positions" USING btree ("case_id","member_id","stage","kind","target_key");--> statement-breakpoint
CREATE UNIQUE INDEX "voteringar_question_uq" ON "voteringar" USING btree ("case_id","question_id");