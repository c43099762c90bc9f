namespace OneStopWindow.Api.Features.Beneficiaries;

public static class ImportExamples
{
    /// <summary>Two records in the documented import format (api-specs/beneficiary-import.md).</summary>
    public const string SampleBeneficiaries = """
        [
          { "sourceRecordId": "HB-BTXH-000117", "idNumber": "017148000117", "fullName": "Bùi Thị Hoa", "dateOfBirth": "1948-02-11",
            "oldCommuneCode": "04789", "addressDetail": "Tổ 4, phường Thái Bình cũ", "benefitCode": "BTXH-01",
            "beneficiaryGroup": "elderly-poor-no-supporter", "monthlyAmountVnd": "750000", "startMonth": "2023-05", "decisionNumber": "215/QĐ-UBND" },
          { "sourceRecordId": "HB-BTXH-000902", "idNumber": "017170000902", "fullName": "Đinh Thị Lụa", "dateOfBirth": "1970-04-18",
            "oldCommuneCode": "04891", "addressDetail": "Xóm Đồng Phú, xã Vầy Nưa cũ", "benefitCode": "BTXH-01",
            "beneficiaryGroup": "disability-severe", "monthlyAmountVnd": "750000", "startMonth": "2019-01", "decisionNumber": "45/QĐ-UBND" }
        ]
        """;
}
