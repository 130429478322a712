#include "matrix/MatrixResult.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;

class TestMatrixRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resultRoundTripsThroughJson();
    void resultFromJsonRefusesWhatItNeverWrites();
};

void TestMatrixRunner::resultRoundTripsThroughJson()
{
    MatrixCellResult result;
    result.cellId = u"orders.list\nmissing:orders:read"_s;
    result.requestId = u"orders.list"_s;
    result.requestName = u"List orders"_s;
    result.folder = u"Orders"_s;
    result.method = u"GET"_s;
    result.url = u"http://127.0.0.1:1/api/orders"_s;
    result.column = u"without orders:read"_s;
    result.columnKey = u"missing:profile:read"_s;
    result.kind = 1;
    result.askedScopes = {u"profile:read"_s};
    result.grantedScopes = {u"profile:read"_s};
    result.grantedReported = true;
    result.expectedStatus = 403;
    result.observedStatus = 200;
    result.verdict = MatrixVerdict::OverPermissive;
    result.detail = u"expected 403, got 200: the endpoint does not check orders:read"_s;
    result.evidence = QJsonObject{{u"request"_s, QJsonObject{{u"line"_s, u"GET /api/orders HTTP/1.1"_s}}}};
    result.elapsedMs = 12;

    const QJsonObject json = result.toJson();
    QCOMPARE(json.value(u"verdict"_s).toString(), u"over-permissive"_s);
    QString error;
    const auto back = MatrixCellResult::fromJson(json, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, result);

    for (const MatrixVerdict verdict : {MatrixVerdict::AsExpected, MatrixVerdict::OverPermissive, MatrixVerdict::UnexpectedDenial,
                                        MatrixVerdict::CannotTest, MatrixVerdict::Error, MatrixVerdict::Skipped}) {
        QCOMPARE(MatrixCellResult::parseVerdict(MatrixCellResult::verdictName(verdict)), verdict);
    }
}

void TestMatrixRunner::resultFromJsonRefusesWhatItNeverWrites()
{
    MatrixCellResult result;
    result.cellId = u"a"_s;
    QJsonObject json = result.toJson();
    json.insert(u"verdict"_s, u"fine"_s);
    QString error;
    QVERIFY(!MatrixCellResult::fromJson(json, &error));
    QVERIFY2(error.contains(u"verdict"_s), qPrintable(error));

    json = result.toJson();
    json.insert(u"observedStatus"_s, u"200"_s);
    QVERIFY(!MatrixCellResult::fromJson(json, &error, u"results[3]"_s));
    QVERIFY2(error.contains(u"results[3].observedStatus"_s), qPrintable(error));

    json = result.toJson();
    json.insert(u"evidence"_s, QJsonArray());
    QVERIFY(!MatrixCellResult::fromJson(json, &error));
    QVERIFY2(error.contains(u"evidence"_s), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestMatrixRunner)
#include "tst_matrixrunner.moc"
