import { lineDiff } from '../../shared/line-diff';

/** Two texts as one, line by line: `+` added, `-` removed, unchanged lines muted. */
export function LineDiff({ before, after, testId }: { before: string; after: string; testId?: string }) {
  return (
    <pre className="json file-diff" data-testid={testId}>
      {lineDiff(before, after).map((line, index) => (
        <span key={index} className={`diff-${line.kind}`}>
          {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
          {line.text}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
