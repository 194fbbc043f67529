-- A document line may only name an article of the document's own organisation. The foreign key
-- (articles (id)) let an accountant attach another organisation's article, and told apart "not
-- yours" (accepted) from "does not exist" (refused). Both are now the same foreign-key refusal.
CREATE FUNCTION document_lines_article_of_the_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.article_id IS NOT NULL AND NOT EXISTS (
        SELECT 1
          FROM articles a
          JOIN documents d ON d.organisation_id = a.organisation_id
         WHERE a.id = NEW.article_id AND d.id = NEW.document_id
    ) THEN
        RAISE EXCEPTION 'article % is not an article of the document''s organisation', NEW.article_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER document_lines_article_of_the_organisation
    BEFORE INSERT OR UPDATE OF article_id, document_id ON document_lines
    FOR EACH ROW EXECUTE FUNCTION document_lines_article_of_the_organisation();
