import { counted } from '../../shared/counted';
import { lineDiff, withContext } from '../../shared/line-diff';

const MARKS = { added: '+ ', removed: '- ', same: '  ' } as const;

/**
 * Two texts as one, line by line: `+` added, `-` removed, unchanged lines muted, and unchanged runs far from any
 * change shown as how many lines they hold.
 */
export function LineDiff({ before, after, testId }: { before: string; after: string; testId?: string }) {
  return (
    <pre className="json file-diff" data-testid={testId}>
      {withContext(lineDiff(before, after)).map((line, index) =>
        line.kind === 'skipped' ? (
          <span key={index} className="diff-skipped">
            {`  ⋯ ${counted(line.count, 'unchanged line')}\n`}
          </span>
        ) : (
          <span key={index} className={`diff-${line.kind}`}>
            {MARKS[line.kind]}
            {line.text}
            {'\n'}
          </span>
        ),
      )}
    </pre>
  );
}
